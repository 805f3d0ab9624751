import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

/** Your files: upload (pick or drop, with progress and the size limit said up front), list, download, delete. */
export async function filesPage() {
  let page;
  let limit;
  try {
    [page, limit] = await Promise.all([api.get('Files?pageSize=100'), api.get('Files/Limits')]);
  } catch (e) {
    show(h('h1', {}, 'Files'), problem(e));
    return;
  }
  const maxBytes = limit.limits.maxUploadBytes;
  const message = h('div', {role: 'status'});
  const progress = h('progress', {id: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress'});
  const chooser = h('input', {id: 'file', type: 'file'});

  async function send(file) {
    message.replaceChildren();
    if (file.size > maxBytes) {
      message.replaceChildren(problem({message: `${file.name} is ${bytes(file.size)}; files up to ${bytes(maxBytes)} are accepted`}));
      return;
    }
    progress.hidden = false;
    progress.value = 0;
    try {
      await api.upload(file, (sent, total) => {
        progress.value = Math.round(sent * 100 / total);
      });
      filesPage();
    } catch (e) {
      progress.hidden = true;
      message.replaceChildren(problem(e));
    }
  }

  const zone = h('div', {class: 'dropzone', id: 'dropzone',
    ondragover: event => {
      event.preventDefault();
      zone.classList.add('over');
    },
    ondragleave: () => zone.classList.remove('over'),
    ondrop: event => {
      event.preventDefault();
      zone.classList.remove('over');
      if (event.dataTransfer.files.length) {
        send(event.dataTransfer.files[0]);
      }
    }},
  h('p', {}, `Drop a file here, or pick one (up to ${bytes(maxBytes)}).`),
  h('label', {for: 'file'}, 'File to upload'), chooser,
  h('button', {type: 'button', onclick: () => chooser.files.length && send(chooser.files[0])}, 'Upload'),
  progress);

  show(h('h1', {}, 'Files'), zone, message,
    page.items.length ? null : h('p', {class: 'muted'}, 'No files yet.'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {class: 'optional'}, 'Type'),
      h('th', {class: 'optional'}, 'Size'), h('th', {class: 'optional'}, 'Uploaded'), h('th', {}, ''))),
    h('tbody', {}, page.items.map(file => h('tr', {},
      h('td', {class: 'wrap'}, file.fileName || file.id),
      h('td', {class: 'optional'}, file.contentType),
      h('td', {class: 'optional'}, bytes(file.sizeBytes)),
      h('td', {class: 'optional'}, time(file.createdAt)),
      h('td', {},
        h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try {
            await api.download(file.id, file.fileName);
          } catch (e) {
            message.replaceChildren(problem(e));
          }
        }}, 'Download'),
        h('button', {type: 'button', class: 'secondary', onclick: async () => {
          try {
            await api.del(`Files/${file.id}`);
            filesPage();
          } catch (e) {
            message.replaceChildren(problem(e));
          }
        }}, 'Delete')))))));
}

export function bytes(count) {
  if (count === undefined || count === null) {
    return '';
  }
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = Number(count);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
