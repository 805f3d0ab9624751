// Builds DOM from data without innerHTML, so nothing a node or a user wrote is ever parsed as markup.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A problem from the API as the page shows it: its detail and every field error. */
export function problem(error) {
  return h('div', {class: 'problem', role: 'alert'}, error.message,
    error.errors && error.errors.length ? h('ul', {}, error.errors.map(e => h('li', {}, `${e.field}: ${e.message}`))) : null);
}

/** Replaces the page's content and moves the focus there, for keyboard and screen-reader users. */
export function show(...children) {
  const page = document.getElementById('page');
  page.replaceChildren(...children.flat().filter(child => child !== null && child !== undefined && child !== false));
  page.focus();
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
