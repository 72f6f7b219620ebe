// Confirmation dialogs (<dialog>, modal). typed: the operator must type `expected`
// (the queue's name) before the destructive button is enabled.
import { h } from './dom.js';

// Resolves true when confirmed, false when cancelled.
export function confirmAction({ title, message, action, expected = null, id = 'confirm' }) {
  return new Promise((resolve) => {
    const input = expected === null ? null
      : h('input', { type: 'text', id: `${id}-input`, autocomplete: 'off', spellcheck: 'false', 'aria-label': `Type ${expected} to confirm` });
    const ok = h('button', { type: 'submit', class: 'danger', id: `${id}-ok`, disabled: expected !== null }, action);
    const cancel = h('button', { type: 'button', id: `${id}-cancel` }, 'Cancel');
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title),
      h('p', {}, message),
      input ? h('label', {}, h('span', {}, 'Type ', h('code', {}, expected), ' to confirm'), input) : null,
      h('div', { class: 'actions' }, cancel, ok));
    const dialog = h('dialog', { id }, form);
    input?.addEventListener('input', () => { ok.disabled = input.value !== expected; });
    let confirmed = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (ok.disabled) return;
      confirmed = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? cancel).focus();
  });
}
