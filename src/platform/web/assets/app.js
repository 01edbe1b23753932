/*
 * Cổng Dịch vụ công — progressive enhancement only: every page works without this file.
 *
 * <select data-autosubmit> submits its form as soon as the choice changes (the form keeps its own
 * submit button for people without JavaScript, and for keyboard users who prefer it).
 */

document.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLSelectElement) || !target.hasAttribute('data-autosubmit')) return;
  const form = target.form;
  if (form === null) return;
  if (typeof form.requestSubmit === 'function') form.requestSubmit();
  else form.submit();
});
