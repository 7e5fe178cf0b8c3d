/*
 * Site search (templates/search.html), on the Pagefind index that the build
 * writes (plugins/search). Loaded by the search page only; the index and
 * its WebAssembly are fetched on the first search.
 *
 * Reads ?q= from the address (the header's form sends it), shows the
 * results as a list of links with an excerpt, and says how many there are in
 * a status message (read by screen readers). Without JavaScript the page
 * offers the archives instead.
 */
const MAX_RESULTS = 20;

const form = document.querySelector("[data-search-form]");
const input = form.querySelector('input[name="q"]');
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
document.querySelector("[data-search-fallback]").hidden = true;

let engine = null;
let current = 0;

function loadEngine() {
  if (!engine) {
    engine = import(form.dataset.bundle).then(async (pagefind) => {
      await pagefind.options({ excerptLength: 30 });
      pagefind.init();
      return pagefind;
    });
  }
  return engine;
}

/* Pagefind's excerpt is escaped text with <mark> around the matches: build
   it as text nodes and <mark> elements, never as HTML. */
function excerptNodes(excerpt) {
  const decoder = document.createElement("textarea");
  const nodes = [];
  excerpt.split(/(<mark>.*?<\/mark>)/g).forEach((part) => {
    if (!part) return;
    const marked = part.startsWith("<mark>");
    decoder.innerHTML = marked ? part.slice(6, -7) : part;
    const text = document.createTextNode(decoder.value);
    if (marked) {
      const mark = document.createElement("mark");
      mark.appendChild(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  });
  return nodes;
}

function plural(n, one, many) {
  return n + "\u00a0" + (n > 1 ? many : one);
}

async function run(query) {
  const ticket = ++current;
  list.textContent = "";
  list.hidden = true;
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Recherche en cours…";
  let found;
  try {
    const pagefind = await loadEngine();
    const search = await pagefind.search(query);
    found = { total: search.results.length,
              items: await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data())) };
  } catch (error) {
    if (ticket !== current) return;
    status.textContent = "La recherche n'a pas pu être chargée. Parcourez les archives en attendant.";
    document.querySelector("[data-search-fallback]").hidden = false;
    return;
  }
  if (ticket !== current) return; // a newer search has started
  for (const item of found.items) {
    const li = document.createElement("li");
    li.className = "search-result";
    const heading = document.createElement("h2");
    heading.className = "search-result__title";
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = (item.meta && item.meta.title) || item.url;
    heading.appendChild(link);
    const excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    excerptNodes(item.excerpt || "").forEach((node) => excerpt.appendChild(node));
    li.append(heading, excerpt);
    list.appendChild(li);
  }
  list.hidden = found.items.length === 0;
  // French typography: no-break spaces inside « » and a narrow one before ;
  const quoted = "«\u00a0" + query.trim() + "\u00a0»";
  if (found.total === 0) {
    status.textContent = "Aucun résultat pour " + quoted + ". Essayez un autre mot, ou parcourez les archives.";
  } else if (found.total > found.items.length) {
    status.textContent = plural(found.total, "résultat", "résultats") + " pour " + quoted +
      "\u202f; voici les " + found.items.length + " plus pertinents.";
  } else {
    status.textContent = plural(found.total, "résultat", "résultats") + " pour " + quoted + ".";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value;
  const url = new URL(window.location.href);
  url.searchParams.set("q", query);
  window.history.replaceState(null, "", url);
  run(query);
});

const initial = new URLSearchParams(window.location.search).get("q") || "";
if (initial) {
  input.value = initial;
  run(initial);
}
