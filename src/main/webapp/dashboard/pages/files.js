import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

/** Your files: upload, list, download, delete. */
export async function filesPage() {
  const message = h('div');
  const chooser = h('input', {id: 'file', type: 'file', required: true});
  const upload = h('form', {onsubmit: async event => {
    event.preventDefault();
    if (!chooser.files.length) {
      return;
    }
    const form = new FormData();
    form.append('file', chooser.files[0]);
    try {
      await api.post('Files/Upload', form);
      filesPage();
    } catch (e) {
      message.replaceChildren(problem(e));
    }
  }}, h('label', {for: 'file'}, 'Upload a file'), chooser, h('button', {type: 'submit'}, 'Upload'), message);
  let page;
  try {
    page = await api.get('Files?pageSize=100');
  } catch (e) {
    show(h('h1', {}, 'Files'), upload, problem(e));
    return;
  }
  show(h('h1', {}, 'Files'), upload,
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {class: 'optional'}, 'Type'),
      h('th', {class: 'optional'}, 'Size'), h('th', {class: 'optional'}, 'Uploaded'), h('th', {}, ''))),
    h('tbody', {}, page.items.map(file => h('tr', {},
      h('td', {class: 'wrap'}, file.fileName || file.id),
      h('td', {class: 'optional'}, file.contentType),
      h('td', {class: 'optional'}, file.sizeBytes),
      h('td', {class: 'optional'}, time(file.createdAt)),
      h('td', {},
        h('button', {type: 'button', class: 'secondary', onclick: () => api.download(file.id, file.fileName)}, 'Download'),
        h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try {
            await api.del(`Files/${file.id}`);
            filesPage();
          } catch (e) {
            message.replaceChildren(problem(e));
          }
        }}, 'Delete')))))));
}
