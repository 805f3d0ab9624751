import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

/** Your API keys (for services calling the API): create one (shown once, with a copy button), delete. */
export async function keysPage(created = null) {
  const message = h('div');
  const name = h('input', {id: 'key-name', required: true, maxlength: '100'});
  const form = h('form', {onsubmit: async event => {
    event.preventDefault();
    try {
      const answer = await api.post('Auth/ApiKey', {name: name.value.trim()});
      keysPage(answer.apiKey);
    } catch (e) {
      message.replaceChildren(problem(e));
    }
  }}, h('label', {for: 'key-name'}, 'New key name'), name, h('button', {type: 'submit'}, 'Create key'), message);
  let user;
  try {
    user = (await api.get(`Users/${api.userId()}`)).user;
  } catch (e) {
    show(h('h1', {}, 'API keys'), form, problem(e));
    return;
  }
  const shown = created ? h('div', {class: 'notice', role: 'status'},
    h('p', {}, `Key "${created.name}" — copy it now, it is not shown again:`),
    h('code', {id: 'new-key'}, created.key), ' ',
    h('button', {type: 'button', class: 'secondary', onclick: () => navigator.clipboard.writeText(created.key)}, 'Copy'))
    : null;
  show(h('h1', {}, 'API keys'), shown, form,
    h('p', {class: 'muted'}, 'A service sends a key as the whole Authorization header: "Authorization: <key>".'),
    user.apiKeys && user.apiKeys.length ? h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {class: 'optional'}, 'Created'), h('th', {}, 'Valid until'),
        h('th', {}, ''))),
      h('tbody', {}, user.apiKeys.map(key => h('tr', {},
        h('td', {}, key.name),
        h('td', {class: 'optional'}, time(key.createdAt)),
        h('td', {}, key.validUntil ? time(key.validUntil) : 'no end'),
        h('td', {}, h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try {
            await api.del(`Auth/ApiKey/${encodeURIComponent(key.name)}`);
            keysPage();
          } catch (e) {
            message.replaceChildren(problem(e));
          }
        }}, 'Delete'))))))
      : h('p', {class: 'muted'}, 'No API keys yet.'));
}
