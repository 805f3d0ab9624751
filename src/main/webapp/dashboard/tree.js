import * as api from './api.js';
import {h} from './dom.js';

/**
 * An ApScheme value (a step result, a run input) as a tree: objects and lists fold open with
 * <details>, scalars show their value and type, and a file shows its name with a Download button.
 * Built from data with dom.h, so nothing in a result is ever parsed as markup.
 */
export function valueTree(element, name = 'result') {
  return h('ul', {class: 'tree'}, node(name, element));
}

function node(name, element) {
  if (element === null || element === undefined || typeof element !== 'object') {
    return h('li', {}, h('span', {class: 'key'}, name), ': ', h('code', {}, String(element)));
  }
  switch (element.type) {
    case 'ApObject': {
      const entries = Object.entries(element.properties || {});
      return h('li', {}, h('details', {open: true},
        h('summary', {}, h('span', {class: 'key'}, name), h('span', {class: 'muted'}, ` object, ${entries.length} field(s)`)),
        h('ul', {}, entries.map(([key, value]) => node(key, value)))));
    }
    case 'ApList': {
      const items = element.items || [];
      return h('li', {}, h('details', {open: items.length <= 20},
        h('summary', {}, h('span', {class: 'key'}, name), h('span', {class: 'muted'}, ` list, ${items.length} item(s)`)),
        h('ul', {}, items.map((item, index) => node(`[${index}]`, item)))));
    }
    case 'ApFile':
      return h('li', {}, h('span', {class: 'key'}, name), ': file ', h('code', {}, element.id),
        h('span', {class: 'muted'}, ` ${element.contentType || ''}`), ' ',
        h('button', {type: 'button', class: 'secondary small', 'aria-label': `Download ${name}`,
          onclick: () => api.download(element.id, element.id)}, 'Download'));
    default:
      return h('li', {}, h('span', {class: 'key'}, name), ': ',
        h('code', {}, element.value === undefined ? '' : String(element.value)),
        h('span', {class: 'muted'}, ` ${String(element.type || '').replace(/^Ap/, '').toLowerCase()}`));
  }
}
