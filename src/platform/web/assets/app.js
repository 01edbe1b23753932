/*
 * Cổng Dịch vụ công — progressive enhancement only: every page works without this file.
 *
 * - The header's menus (<details>): one open at a time; Escape closes the open one and returns focus to
 *   its button; a click or a tap outside closes it.
 * - Tables shown as cards on phones keep their table roles for screen readers that drop them when the
 *   CSS display of table parts changes.
 */
(() => {
  const menus = () => Array.from(document.querySelectorAll('.site-header details'));

  for (const menu of menus()) {
    menu.addEventListener('toggle', () => {
      if (!menu.open) return;
      for (const other of menus()) if (other !== menu) other.open = false;
    });
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus()) {
      if (!menu.open) continue;
      menu.open = false;
      menu.querySelector('summary')?.focus();
    }
  });

  document.addEventListener('click', (event) => {
    for (const menu of menus()) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    }
  });

  const roles = [
    ['table.data-table', 'table'],
    ['table.data-table > thead, table.data-table > tbody', 'rowgroup'],
    ['table.data-table tr', 'row'],
    ['table.data-table th[scope="col"]', 'columnheader'],
    ['table.data-table th[scope="row"]', 'rowheader'],
    ['table.data-table td', 'cell'],
  ];
  for (const [selector, role] of roles) {
    for (const element of document.querySelectorAll(selector)) {
      if (!element.hasAttribute('role')) element.setAttribute('role', role);
    }
  }
})();
