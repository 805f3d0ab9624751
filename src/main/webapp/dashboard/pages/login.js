import * as api from '../api.js';
import {h, problem, show} from '../dom.js';

export function loginPage(done) {
  const message = h('div');
  const name = h('input', {id: 'username', name: 'username', autocomplete: 'username', required: true});
  const password = h('input', {id: 'password', name: 'password', type: 'password', autocomplete: 'current-password',
    required: true});
  async function submit(action) {
    message.replaceChildren();
    try {
      await action(name.value, password.value);
      done();
    } catch (e) {
      message.replaceChildren(problem(e));
    }
  }
  const form = h('form', {onsubmit: event => { event.preventDefault(); submit(api.login); }},
    h('label', {for: 'username'}, 'Username'), name,
    h('label', {for: 'password'}, 'Password'), password,
    h('div', {}, h('button', {type: 'submit'}, 'Log in'),
      h('button', {type: 'button', class: 'secondary', onclick: () => submit(api.register)}, 'Register')),
    message);
  show(h('h1', {}, 'Log in'), form,
    h('p', {class: 'muted'}, 'You stay logged in while this tab is open; the session is kept in memory only.'));
}
