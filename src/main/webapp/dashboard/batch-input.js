// The inputs of a batch read from a file the user picked: JSON (an array, one run per item) or CSV
// (a header row, one run per row). Items that already are ApScheme values ({"type": ...}) pass as
// they are; plain values (a CSV cell, a JSON number) become values of the first step's input
// scheme. The runner still checks every input (422 errors name inputs[i]); this only shapes them.

export class InputFileProblem extends Error {
  constructor(message) {
    super(message);
    this.errors = [];
  }
}

export function batchInputs(fileName, text, scheme, files) {
  if (!scheme) {
    throw new InputFileProblem('Pick the steps first: the inputs are read by the first step\'s input scheme');
  }
  const rows = /\.json$/i.test(fileName) || text.trimStart().startsWith('[') ? jsonRows(text) : csvRows(text, scheme);
  if (!rows.length) {
    throw new InputFileProblem(`${fileName} holds no inputs`);
  }
  return rows.map((row, index) => typed(scheme, row, `inputs[${index}]`, files));
}

function jsonRows(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new InputFileProblem(`The JSON file does not parse: ${e.message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new InputFileProblem('The JSON file must hold an array, one item per run');
  }
  return parsed;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
      }
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records.filter(r => !(r.length === 1 && r[0] === ''));
}

function csvRows(text, scheme) {
  const [header, ...body] = parseCsv(text);
  if (!header) {
    return [];
  }
  if (scheme.type !== 'ApObject') {
    return body.map(cells => cells[0]);
  }
  const known = Object.keys(scheme.properties || {});
  const unknown = header.filter(name => !known.includes(name));
  if (unknown.length) {
    throw new InputFileProblem(`The CSV header names ${unknown.join(', ')}, which the input does not have (it has ${known.join(', ')})`);
  }
  // An empty cell leaves an optional field out.
  return body.map(cells => Object.fromEntries(header.map((name, i) => [name, cells[i]])
    .filter(([, value]) => value !== undefined && value !== '')));
}

/** A plain value as a value of the scheme element; ApScheme values are kept as they are. */
function typed(element, value, path, files) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.type === 'string') {
    return value;
  }
  switch (element.type) {
    case 'ApString':
      return {type: 'ApString', value: String(value)};
    case 'ApInt':
    case 'ApDecimal': {
      const number = Number(value);
      if (value === '' || Number.isNaN(number)) {
        throw new InputFileProblem(`${path}: '${value}' is not a number`);
      }
      return {type: element.type, value: number};
    }
    case 'ApBool':
      return {type: 'ApBool', value: value === true || String(value).toLowerCase() === 'true'};
    case 'ApDateTime':
      return {type: 'ApDateTime', value: String(value)};
    case 'ApEnum':
      return {type: 'ApEnum', value: String(value), supportedCases: element.supportedCases || []};
    case 'ApFile': {
      const file = files.find(f => f.id === value || f.fileName === value);
      return {type: 'ApFile', id: file ? file.id : String(value), contentType: file ? file.contentType : '',
        supportedContentTypes: element.supportedContentTypes || []};
    }
    case 'ApList': {
      const items = Array.isArray(value) ? value : String(value).split(';');
      return {type: 'ApList', items: items.map((item, i) => typed((element.items || [])[0] || {type: 'ApString'}, item, `${path}[${i}]`, files))};
    }
    case 'ApObject': {
      if (value === null || typeof value !== 'object') {
        throw new InputFileProblem(`${path}: an object is needed, got '${value}'`);
      }
      const properties = element.properties || {};
      return {type: 'ApObject', nonRequiredProperties: [],
        properties: Object.fromEntries(Object.entries(value).map(([name, v]) =>
          [name, properties[name] ? typed(properties[name], v, `${path}.${name}`, files) : v]))};
    }
    default:
      return value;
  }
}
