// The filing pages, when JavaScript runs. Everything here the server also does without it:
//  - choosing the case (trường hợp) shows that case's documents at once and marks which are required
//    (without JavaScript: "Lưu nháp" shows them);
//  - typing in "Tìm xã, phường" filters the list of communes as you type (without JavaScript: the "Tìm"
//    button asks the server for the filtered list);
//  - choosing a province in an address loads its communes into the commune list (without JavaScript:
//    "Lưu nháp" shows them).
// The server checks the submission the same way whatever this script did.
(() => {
  const fold = (s) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();

  // The case switch.
  const radios = [...document.querySelectorAll('input[name="truongHop"]')];
  if (radios.length > 0) {
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
  }

  // The commune filter of the place step.
  const search = document.querySelector('[data-loc-xa]');
  const list = document.getElementById('danh-sach-xa');
  if (search && list) {
    const items = [...list.querySelectorAll('label[data-ten]')].map((el) => ({
      el,
      words: fold(el.dataset.ten).split(' '),
      code: el.querySelector('input')?.value ?? '',
    }));
    // The words typed, in order, are the starts of consecutive words of the name (as the server filters).
    const matches = (words, q) => {
      for (let i = 0; i + q.length <= words.length; i++)
        if (q.every((w, j) => words[i + j].startsWith(w))) return true;
      return false;
    };
    const count = document.querySelector('[data-dem-xa]');
    const total = items.length;
    const filter = () => {
      const q = search.value.trim();
      const words = fold(q).split(' ').filter(Boolean);
      let shown = 0;
      for (const it of items) {
        const match = words.length === 0 || it.code === q || matches(it.words, words);
        it.el.hidden = !match;
        if (match) shown++;
      }
      if (count)
        count.textContent =
          words.length === 0 ? `${total} xã, phường, đặc khu.` : `${shown} xã, phường khớp với “${q}”.`;
    };
    // The server filtered the list already when the page came with ?q=: show them all again to filter here.
    if (search.value.trim() === '' || total > 0) search.addEventListener('input', filter);
  }

  // An address's commune list follows its province.
  for (const commune of document.querySelectorAll('select[data-xa-cua]')) {
    const province = document.getElementById(commune.dataset.xaCua);
    if (!province) continue;
    province.addEventListener('change', async () => {
      const code = province.value;
      commune.replaceChildren(new Option('— Chọn xã, phường —', ''));
      if (!/^\d{2}$/.test(code)) return;
      try {
        const r = await fetch(`/api/v1/admin-units?level=commune&parent=${code}&limit=1000`, {
          headers: { accept: 'application/json' },
        });
        if (!r.ok) return;
        const { items } = await r.json();
        items.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
        for (const u of items) commune.append(new Option(u.name, u.code));
      } catch {
        // Offline or refused: the applicant saves the draft to see the list, as without JavaScript.
      }
    });
  }
})();
