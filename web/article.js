// The source article beside the map: its whole text from /api/articles/{id}, the sentences that
// support the incident shown marked, the other incidents' evidence marked lighter.
import { escapeHtml, fetchJson } from './util.js';

// The evidence spans of the article as [start, end, own] in the text's UTF-8 bytes, sorted and
// merged where they overlap (a span is "own" when the shown incident's evidence covers it).
function spansOf(article, incidentId) {
  const spans = [];
  for (const i of article.incidents) {
    for (const e of i.evidence) spans.push([e.start, e.end, i.id === incidentId]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] < last[1]) {
      last[1] = Math.max(last[1], s[1]);
      last[2] = last[2] || s[2];
    } else {
      merged.push([...s]);
    }
  }
  return merged;
}

// The text as HTML with the spans in <mark>; offsets are bytes, so the text is cut as UTF-8.
function markedText(article, incidentId) {
  const bytes = new TextEncoder().encode(article.text);
  const decoder = new TextDecoder();
  const piece = (a, b) => escapeHtml(decoder.decode(bytes.subarray(a, b)));
  let html = '';
  let at = 0;
  for (const [start, end, own] of spansOf(article, incidentId)) {
    if (start < at || end > bytes.length) continue; // not a span of this text
    html += piece(at, start) + `<mark class="${own ? 'own' : 'other'}">${piece(start, end)}</mark>`;
    at = end;
  }
  return html + piece(at, bytes.length);
}

function articleHtml(article, incidentId) {
  const meta = [article.source, article.published].filter(Boolean).map(escapeHtml).join(' · ');
  const link = article.url
    ? ` · <a href="${escapeHtml(article.url)}" rel="noopener noreferrer" target="_blank">original</a>` : '';
  const count = article.incidents.length;
  return `<h2>${escapeHtml(article.title || 'Article ' + article.id)}</h2>
    <p class="hint">${meta}${link} · ${count} incident${count === 1 ? '' : 's'} from it
      · <mark class="own">this incident</mark> <mark class="other">others</mark></p>
    <div class="article-text">${markedText(article, incidentId)}</div>`;
}

async function openArticle(articleId, incidentId) {
  const panel = document.getElementById('article');
  const body = document.getElementById('article-body');
  panel.hidden = false;
  body.textContent = 'loading…';
  document.getElementById('article-close').focus({ preventScroll: true });
  try {
    const article = await fetchJson(`/api/articles/${encodeURIComponent(articleId)}`);
    body.innerHTML = articleHtml(article, incidentId);
    const own = body.querySelector('.article-text mark.own');
    if (own) panel.scrollTop = Math.max(0, own.offsetTop - panel.clientHeight / 3);
  } catch (err) {
    body.textContent = `The article cannot be shown: ${err.message}`;
  }
}

// A "Read the article" button of any popup opens the panel; Close or Escape shuts it.
export function setUpArticlePanel() {
  const panel = document.getElementById('article');
  const close = () => { panel.hidden = true; };
  document.getElementById('article-close').addEventListener('click', close);
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
  document.addEventListener('click', (e) => {
    const button = e.target.closest?.('button.read-article');
    if (!button) return;
    openArticle(button.dataset.article, Number(button.dataset.incident));
  });
}
