// Progressive enhancement only: every page works without this file.
(() => {
  // Confirmation for destructive actions: <form data-confirm="Yakin?">
  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
    }
  });
})();
