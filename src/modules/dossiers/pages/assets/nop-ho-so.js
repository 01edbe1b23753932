// The filing page, when JavaScript runs: choosing the case (trường hợp) shows that case's documents at
// once and marks which are required, as the server does after "Lưu nháp" without JavaScript. The server
// checks the submission the same way whatever this script did.
(() => {
  const radios = [...document.querySelectorAll('input[name="truongHop"]')];
  if (radios.length === 0) return;
  const slots = [...document.querySelectorAll('[data-giay-to]')];
  const hint = document.querySelector('[data-goi-y-truong-hop]');
  const apply = () => {
    const chosen = radios.find((r) => r.checked)?.value;
    for (const slot of slots) {
      const inCase = chosen === undefined || slot.dataset.trong.split(' ').includes(chosen);
      slot.hidden = !inCase;
      const required = chosen !== undefined && slot.dataset.batBuoc.split(' ').includes(chosen);
      const mark = slot.querySelector('[data-tuy-chon]');
      if (mark)
        mark.textContent = required ? '' : chosen === undefined ? ' (tùy trường hợp)' : ' (không bắt buộc)';
    }
    if (hint) hint.hidden = chosen !== undefined;
  };
  for (const r of radios) r.addEventListener('change', apply);
  apply();
})();
