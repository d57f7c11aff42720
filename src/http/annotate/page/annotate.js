// The annotation page: one item at a time, keyboard first. All text from the set, the catalog and
// other annotators is put into the page with textContent, never as HTML, so a product title such
// as <img onerror=...> is shown as the characters it is.

const $ = (id) => document.getElementById(id);
const TASKS = ['t1', 't2', 't3'];
const TEXT = {
  t1: { question: 'Is this script plausible for the objective?', yes: 'Plausible', no: 'Not plausible', name: 'T1 scripts' },
  t2: { question: 'Does this product help with the highlighted step?', yes: 'Helps', no: 'Does not help', name: 'T2 step–product' },
  t3: {
    question: 'Do these products, one per step, together serve the script without conflicts?',
    yes: 'They serve it',
    no: 'They do not',
    name: 'T3 product sets',
  },
};
const NAME_KEY = 'ecomalign.annotator';

const params = new URLSearchParams(location.search);
const view = params.get('view') === 'progress' ? 'progress' : 'task';
const task = TASKS.includes(params.get('task')) ? params.get('task') : 't2';
let annotator = localStorage.getItem(NAME_KEY) || '';
let current = null;
let busy = false;

function status(message, error = false) {
  $('status').textContent = message;
  $('status').classList.toggle('error', error);
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error((data && data.detail) || `The server answered ${res.status}.`);
  return data;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function markNav() {
  for (const a of document.querySelectorAll('nav a')) {
    const here = view === 'progress' ? a.dataset.view === 'progress' : a.dataset.task === task;
    if (here) a.setAttribute('aria-current', 'page');
  }
}

function showName() {
  $('who').hidden = !annotator;
  $('who-name').textContent = annotator;
}

function askName() {
  $('task-view').hidden = true;
  $('name-form').hidden = false;
  $('name-input').value = annotator;
  $('name-input').focus();
}

function render(item) {
  current = item;
  const empty = !item;
  $('item').hidden = empty;
  $('empty').hidden = !empty;
  for (const id of ['yes', 'no', 'skip']) $(id).disabled = empty;
  $('question').hidden = empty;
  if (empty) {
    $('item').dataset.itemId = '';
    $('empty').focus();
    return;
  }
  $('item').dataset.itemId = item.id;
  $('objective').textContent = item.objective ?? '(no objective given)';
  $('objective').classList.toggle('none', item.objective === null);
  const steps = $('steps');
  steps.replaceChildren();
  item.steps.forEach((step, i) => {
    const li = el('li', step);
    if (item.stepIndex === i) {
      li.className = 'current';
      li.setAttribute('aria-current', 'step');
      li.append(el('span', '◀ this step', 'tag'));
    }
    if (item.products) {
      const list = el('ul');
      const products = item.products[i] ?? [];
      if (products.length === 0) list.append(el('li', '(no product)', 'none'));
      for (const p of products) list.append(el('li', p.title));
      li.append(list);
    }
    steps.append(li);
  });
  $('product').hidden = !item.product;
  if (item.product) {
    $('product-title').textContent = item.product.title;
    $('product-category').textContent = item.product.category ?? '(none)';
  }
  // Keyboard and screen-reader users land on the new item (the buttons keep focus when clicked).
  if (!(document.activeElement instanceof HTMLButtonElement)) $('item').focus();
}

async function refreshProgress() {
  try {
    const p = await api('GET', '/api/progress');
    const t = p.tasks[task];
    const mine = t.annotators.find((a) => a.annotator === annotator);
    const needed = t.items * p.votes;
    $('bar').max = Math.max(1, needed);
    $('bar').value = Math.min(t.labels, needed);
    $('counts').textContent =
      `You: ${mine ? mine.labels : 0} labelled, ${mine ? mine.skipped : 0} skipped · ${t.done} of ${t.items} items have ${p.votes} votes (${t.labels} labels)`;
  } catch (err) {
    status(`Could not load progress: ${err.message}`, true);
  }
}

async function act(work, message) {
  if (busy || !annotator) return;
  busy = true;
  try {
    const item = await work();
    render(item);
    status(message(item));
    refreshProgress();
  } catch (err) {
    status(err.message, true);
  } finally {
    busy = false;
  }
}

const next = () => api('GET', `/api/next?${new URLSearchParams({ annotator, task })}`);

function answer(label) {
  if (!current) return;
  const id = current.id;
  act(
    async () => {
      await api('POST', '/api/labels', { annotator, id, label });
      return next();
    },
    () => `Saved: ${label === 1 ? TEXT[task].yes : TEXT[task].no}.`,
  );
}

function skip() {
  if (!current) return;
  const id = current.id;
  act(
    async () => {
      await api('POST', '/api/skips', { annotator, id });
      return next();
    },
    () => 'Skipped.',
  );
}

function undo() {
  let undone = false;
  act(
    async () => {
      const item = await api('POST', '/api/undo', { annotator, task });
      undone = Boolean(item);
      return item ?? current;
    },
    () => (undone ? 'Undone: answer this item again.' : 'Nothing to undo.'),
  );
}

async function startTask() {
  $('name-form').hidden = true;
  $('task-view').hidden = false;
  $('question').textContent = TEXT[task].question;
  $('yes-text').textContent = TEXT[task].yes;
  $('no-text').textContent = TEXT[task].no;
  await act(next, (item) => (item ? '' : 'Nothing left.'));
}

function cell(row, text, numeric) {
  const td = el(row ? 'td' : 'th', text, numeric ? 'num' : undefined);
  if (!row) td.scope = 'col';
  return td;
}

function table(caption, headers, rows) {
  const wrap = el('div', undefined, 'table-wrap');
  const t = el('table');
  t.append(el('caption', caption));
  const head = el('tr');
  headers.forEach(([h, numeric]) => head.append(cell(false, h, numeric)));
  t.append(el('thead'), el('tbody'));
  t.tHead.append(head);
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((v, i) => tr.append(cell(true, v, headers[i][1])));
    t.tBodies[0].append(tr);
  }
  wrap.append(t);
  return wrap;
}

const pct = (v) => (v === null ? '–' : `${(v * 100).toFixed(0)} %`);
const kappa = (v) => (v === null ? '–' : v.toFixed(2));

async function showProgress() {
  $('name-form').hidden = true;
  $('progress-view').hidden = false;
  try {
    const p = await api('GET', '/api/progress');
    const agreements = await Promise.all(TASKS.map((t) => api('GET', `/api/agreement?task=${t}`)));
    const box = $('progress-tables');
    box.replaceChildren(el('p', `${p.votes} votes per item; gold checks at ${pct(p.goldRate)} of served items.`, 'hint'));
    box.append(
      table(
        'Tasks',
        [
          ['Task'],
          ['Items', true],
          ['Labels', true],
          ['Done', true],
          ['Gold items', true],
          ["Fleiss' κ", true],
          ['Items with ≥ 2 labels', true],
        ],
        TASKS.map((t, i) => [
          TEXT[t].name,
          p.tasks[t].items,
          p.tasks[t].labels,
          p.tasks[t].done,
          p.tasks[t].goldItems,
          kappa(agreements[i].fleissKappa),
          agreements[i].items,
        ]),
      ),
    );
    for (const t of TASKS) {
      const rows = p.tasks[t].annotators.map((a) => [
        a.annotator,
        a.labels,
        a.skipped,
        pct(a.positiveShare),
        a.goldLabels,
        pct(a.goldAccuracy),
      ]);
      if (rows.length === 0) continue;
      box.append(
        table(
          `${TEXT[t].name}: annotators`,
          [['Annotator'], ['Labels', true], ['Skipped', true], ['Answered yes', true], ['Gold checks', true], ['Gold accuracy', true]],
          rows,
        ),
      );
    }
  } catch (err) {
    status(`Could not load progress: ${err.message}`, true);
  }
}

document.addEventListener('keydown', (event) => {
  if (view !== 'task' || !annotator || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
  const action = { 1: () => answer(1), 0: () => answer(0), s: skip, u: undo }[event.key.toLowerCase()];
  if (!action) return;
  event.preventDefault();
  action();
});

$('yes').addEventListener('click', () => answer(1));
$('no').addEventListener('click', () => answer(0));
$('skip').addEventListener('click', skip);
$('undo').addEventListener('click', undo);
$('change-name').addEventListener('click', askName);
$('name-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('name-input').value.trim();
  if (!name) return;
  annotator = name;
  localStorage.setItem(NAME_KEY, name);
  showName();
  if (view === 'progress') showProgress();
  else startTask();
});

markNav();
showName();
if (view === 'progress') showProgress();
else if (!annotator) askName();
else startTask();
