/*
 * Live suggestions for the procedure search box (progressive enhancement: without this file the form
 * submits and the server answers with full results). Asks /api/v1/procedures/suggest as the user types,
 * shows up to eight procedures under the box; arrow keys move, Enter opens, Escape closes.
 */
(() => {
  const input = document.querySelector('input[data-suggest]');
  if (!input) return;
  const list = document.createElement('ul');
  list.className = 'suggestions';
  list.id = `${input.id}-goi-y-truc-tiep`;
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.closest('form').appendChild(list);
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  input.closest('form').appendChild(status);
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi';
  let timer;
  let controller;
  let active = -1;

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function render(items) {
    list.replaceChildren();
    items.forEach((item, i) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `/thu-tuc/${encodeURIComponent(item.code)}${lang === 'en' ? '?lang=en' : ''}`;
      a.id = `${list.id}-${i}`;
      a.setAttribute('role', 'option');
      a.textContent = `${item.name} (${item.code})`;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute('aria-expanded', String(items.length > 0));
    status.textContent = lang === 'en' ? `${items.length} suggestions` : `${items.length} gợi ý`;
  }

  function move(delta) {
    const options = list.querySelectorAll('a');
    if (options.length === 0) return;
    active = (active + delta + options.length) % options.length;
    options.forEach((o, i) => {
      o.setAttribute('aria-selected', String(i === active));
    });
    input.setAttribute('aria-activedescendant', options[active].id);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      close();
      return;
    }
    timer = setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      try {
        const r = await fetch(`/api/v1/procedures/suggest?q=${encodeURIComponent(q)}`, {
          signal: controller.signal,
          headers: { accept: 'application/json' },
        });
        if (!r.ok) return;
        const body = await r.json();
        if (input.value.trim() === q) render(body.items);
      } catch {
        // Offline or aborted: the form still works.
      }
    }, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(-1);
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      list.querySelectorAll('a')[active].click();
    } else if (e.key === 'Escape') {
      close();
    }
  });
  document.addEventListener('click', (e) => {
    if (!input.closest('form').contains(e.target)) close();
  });
})();
