// Product search combobox (WAI-ARIA combobox + listbox): htmx fills #market-saran with options;
// this adds the keys — Down/Up move, Enter opens the chosen product, Escape closes. Without it
// the search form still works.
(() => {
  const input = document.getElementById('market-q');
  const list = document.getElementById('market-saran');
  if (!input || !list) return;
  let active = -1;
  const options = () => [...list.querySelectorAll('[role="option"]')];
  const show = (open) => {
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
    list.hidden = !open;
  };
  const mark = (i) => {
    const opts = options();
    active = i;
    for (const [j, o] of opts.entries()) o.setAttribute('aria-selected', j === i ? 'true' : 'false');
    if (opts[i]) input.setAttribute('aria-activedescendant', opts[i].id);
    else input.removeAttribute('aria-activedescendant');
  };
  show(false);
  list.addEventListener('htmx:afterSwap', () => {
    mark(-1);
    show(options().length > 0 && input.value.trim().length > 1);
  });
  input.addEventListener('keydown', (ev) => {
    const opts = options();
    if (ev.key === 'ArrowDown' && opts.length) {
      ev.preventDefault();
      show(true);
      mark((active + 1) % opts.length);
    } else if (ev.key === 'ArrowUp' && opts.length) {
      ev.preventDefault();
      mark(active <= 0 ? opts.length - 1 : active - 1);
    } else if (ev.key === 'Enter' && active >= 0 && opts[active]) {
      ev.preventDefault();
      window.location.href = opts[active].dataset.url;
    } else if (ev.key === 'Escape') {
      show(false);
      mark(-1);
    }
  });
  input.addEventListener('blur', () => setTimeout(() => show(false), 150));
  list.addEventListener('mousedown', (ev) => {
    const li = ev.target instanceof Element ? ev.target.closest('[role="option"]') : null;
    if (li) window.location.href = li.dataset.url;
  });
})();
