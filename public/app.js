// Progressive enhancement only: every page works without this file.
(() => {
  // Confirmation for destructive actions: <form data-confirm="Yakin?">
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
    }
  });

  // The phone menu (<details class="menu">): close on Escape and when clicking elsewhere.
  const closeMenus = (except) => {
    for (const menu of document.querySelectorAll('details.menu[open]')) {
      if (menu !== except) menu.removeAttribute('open');
    }
  };
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape') return;
    const open = document.querySelector('details.menu[open]');
    if (open) {
      open.removeAttribute('open');
      open.querySelector('summary')?.focus();
    }
  });
  document.addEventListener('click', (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    closeMenus(target?.closest('details.menu'));
  });

  // After a failed form submission, move focus to the error summary so it is read out first.
  const summary = document.querySelector('.error-summary');
  if (summary instanceof HTMLElement) summary.focus();

  // Disable a submit button once its form is sent, to avoid double submissions on slow networks.
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented || form.method.toLowerCase() !== 'post') return;
    const button = ev.submitter;
    if (button instanceof HTMLButtonElement) setTimeout(() => button.setAttribute('disabled', ''), 0);
  });

  // Downloads that take a while (e.g. the RAT report): <a data-progress="status-id"> shows the
  // status element while the file is made; it hides again when the page regains focus or after 20 s.
  document.addEventListener('click', (ev) => {
    const link = ev.target instanceof Element ? ev.target.closest('a[data-progress]') : null;
    const note = link ? document.getElementById(link.getAttribute('data-progress') || '') : null;
    if (!link || !note) return;
    note.hidden = false;
    link.setAttribute('aria-busy', 'true');
    const done = () => {
      note.hidden = true;
      link.removeAttribute('aria-busy');
    };
    setTimeout(done, 20000);
    window.addEventListener('focus', done, { once: true });
  });
})();
