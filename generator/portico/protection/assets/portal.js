// Loaded into every decrypted page: the visible "Log out" control, the address bar kept
// free of secrets, and the content key kept in this window's memory, so a service worker
// the browser stopped can get it back from an open window (it asks; we answer).

import {
  askWorker, clearPortalStorage, clearReloadMark, forgetKey, fromOwnWorker, isOwnWorker,
  stripSecretsFromAddress, VISIT_KEY_PREFIX,
} from "./session.js";

const ROOT = new URL("../", import.meta.url).href;
const BUTTON_CLASS = "portico-logout";
const CARDS_MARK = "data-pt-cards"; // portal.css shows a marked table as cards on a phone
const BLANK_MARK = "data-pt-blank"; // a card's cell with nothing to say: not drawn on a phone
// Log-out in one tab logs out every tab of this portal.
const tabs = new BroadcastChannel(`portico:${new URL(ROOT).pathname}`);
let key = null; // this window's copy of the content key (a non-extractable CryptoKey)

/** This window's controlling worker, if it is this portal's own (else null). */
function ownWorker() {
  const worker = navigator.serviceWorker?.controller;
  return isOwnWorker(worker, ROOT) ? worker : null;
}

/** Forget the key everywhere, and everything the portal and its theme kept in storage. */
async function logOut(everyTab = true) {
  key = null;
  await forgetKey(ROOT);
  clearPortalStorage(ROOT); // each tab clears its own sessionStorage when told
  if (everyTab) tabs.postMessage("log-out");
  const worker = ownWorker();
  if (worker) await askWorker(worker, { type: "lock" }).catch(() => null);
  location.reload();
}

function logOutButton() {
  const button = document.createElement("button");
  button.type = "button";
  button.className = BUTTON_CLASS;
  button.textContent = "Log out";
  button.addEventListener("click", () => logOut());
  return button;
}

/** Put the button in the page header (the theme's, when there is one), once. */
function placeButton() {
  if (document.querySelector(`.${BUTTON_CLASS}`)) return;
  const header = document.querySelector(".md-header__inner") ?? document.querySelector("header");
  const button = logOutButton();
  if (header) header.append(button);
  else {
    button.classList.add(`${BUTTON_CLASS}--floating`);
    document.body.append(button);
  }
}

/** Label each table cell with its column's header, so a phone can show a row as a card.
 *  A table whose columns after the first have no header ("Decision 0001 | ") is a list of
 *  facts, each named in its row's first cell: it stays a two-column table, each value beside
 *  its name (as cards, every fact would be labelled with the first header). */
function labelTableCells() {
  for (const table of document.querySelectorAll(`article table:not([${CARDS_MARK}])`)) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (headers.length === 0 || headers.slice(1).every((header) => header === "")) continue;
    for (const row of table.querySelectorAll("tbody tr")) {
      for (const [column, cell] of [...row.cells].entries()) {
        const label = headers[column] ?? "";
        cell.setAttribute("data-label", label);
        // Nothing to say: an empty cell, or a dash under no header, is no line of the card
        // (an unlabelled "–" reads as a field the reader cannot name).
        const text = cell.textContent.trim();
        if (text === "" || (label === "" && text === "–")) cell.setAttribute(BLANK_MARK, "");
      }
    }
    table.setAttribute(CARDS_MARK, "");
  }
}

const ISO_DATE = /\d{4}-\d{2}-\d{2}/g;
const NOT_PROSE = "code, pre, script, style, svg, .pt-date, textarea";

/** Dates stay whole: a browser breaks 2026-11-18 after a hyphen at a line's end. A date the
 *  page writes bare in its text gets the same span (.pt-date, white-space: nowrap) as the
 *  dates the templates mark. */
function keepDatesWhole() {
  const article = document.querySelector("article");
  if (!article) return;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const bare = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    ISO_DATE.lastIndex = 0;
    if (ISO_DATE.test(node.data) && !node.parentElement?.closest(NOT_PROSE)) bare.push(node);
  }
  for (const node of bare) {
    const pieces = document.createDocumentFragment();
    let from = 0;
    for (const match of node.data.matchAll(ISO_DATE)) {
      pieces.append(node.data.slice(from, match.index));
      const date = document.createElement("span");
      date.className = "pt-date";
      date.textContent = match[0];
      pieces.append(date);
      from = match.index + match[0].length;
    }
    pieces.append(node.data.slice(from));
    node.replaceWith(pieces);
  }
}

/** An e-mail address may wrap at its @ only (portal.css keeps the rest whole). */
function breakAddressesAtTheAt() {
  for (const link of document.querySelectorAll('article a[href^="mailto:"]')) {
    if (link.querySelector("wbr")) continue;
    const text = [...link.childNodes].find((n) => n.nodeType === Node.TEXT_NODE
                                             && n.data.indexOf("@") > 0);
    if (text) text.splitText(text.data.indexOf("@")).before(document.createElement("wbr"));
  }
}

/** Accessible names the theme leaves out: its search dialog, and the checkboxes of task
 *  lists (named by their item's text, which sits outside their label). */
function nameUnnamedControls() {
  const dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
  dialog?.setAttribute("aria-label", "Search");
  for (const box of document.querySelectorAll(
    'article .task-list-item input[type="checkbox"]:not([aria-label])')) {
    const name = box.closest(".task-list-item").textContent.trim().replace(/\s+/g, " ");
    box.setAttribute("aria-label", name.slice(0, 120) || "task");
  }
}

// "What's new": entries newer than the reader's previous visit are marked. All that is
// kept is two timestamps per portal in this browser: the last page view, and where the
// current visit's "since" stands (a visit ends after VISIT_GAP of no page view).
const VISIT_KEY = `${VISIT_KEY_PREFIX}${new URL(ROOT).pathname}`;
const VISIT_GAP = 30 * 60 * 1000;

function previousVisit() {
  let seen = {};
  try {
    seen = JSON.parse(localStorage.getItem(VISIT_KEY) ?? "{}") ?? {};
  } catch {
    seen = {};
  }
  const now = Date.now();
  const since = typeof seen.last === "number" && now - seen.last > VISIT_GAP
    ? seen.last
    : (typeof seen.since === "number" ? seen.since : null);
  try {
    localStorage.setItem(VISIT_KEY, JSON.stringify({ last: now, since }));
  } catch {
    // storage refused (private mode, quota): nothing is marked, nothing breaks
  }
  return since;
}

const SINCE = previousVisit();

/** Mark what changed after the previous visit; a first visit marks nothing. */
function markUnseen() {
  if (SINCE === null) return;
  for (const stamp of document.querySelectorAll("article [data-pt-when]")) {
    const when = Date.parse(stamp.dataset.ptWhen);
    stamp.parentElement?.classList.toggle("pt-unseen", when > SINCE);
  }
}

/** A diagram wider than a phone's column scrolls sideways in its paragraph (portal.css):
 *  mark the paragraphs that do scroll, once the image is laid out, so they say so. */
function markScrollingDiagrams() {
  for (const img of document.querySelectorAll("article p > img:only-child")) {
    const frame = img.parentElement;
    // A frame that scrolls takes keyboard focus, so arrow keys scroll it too (WCAG 2.1.1).
    const mark = () => {
      const scrolls = frame.scrollWidth > frame.clientWidth + 1;
      frame.toggleAttribute("data-pt-scrolls", scrolls);
      if (scrolls) frame.setAttribute("tabindex", "0");
      else frame.removeAttribute("tabindex");
    };
    if (!img.complete) img.addEventListener("load", mark, { once: true });
    // Measured whenever its frame is laid out or resized, not only now: an image from the
    // cache is complete before the page's style sheets have laid it out (a returning
    // reader got no "scroll sideways"), and a phone turned sideways changes the answer.
    new ResizeObserver(mark).observe(frame);
  }
}

/** What every page, and every page instant navigation swaps in, gets from this script. */
function furnishPage() {
  placeButton();
  labelTableCells();
  keepDatesWhole();
  breakAddressesAtTheAt();
  nameUnnamedControls();
  markUnseen();
  markScrollingDiagrams();
}

async function keepKey() {
  const worker = ownWorker();
  if (!worker) return;
  const reply = await askWorker(worker, { type: "hello" }).catch(() => null);
  if (reply?.key instanceof CryptoKey) key = reply.key;
}

// Only this portal's own worker, controlling this window, is ever answered.
navigator.serviceWorker?.addEventListener("message", (event) => {
  if (!fromOwnWorker(event, ROOT)) return;
  if (event.data?.type === "need-key") event.ports[0]?.postMessage({ key });
});
tabs.onmessage = (event) => {
  if (event.data === "log-out") logOut(false);
};
// A closed tab tells the worker, which drops the key when no unlocked window is left.
addEventListener("pagehide", () => {
  ownWorker()?.postMessage({ type: "bye" });
});
stripSecretsFromAddress();
// A share link opened on a page already showing (only the fragment changes): strip it too.
addEventListener("hashchange", () => stripSecretsFromAddress());
clearReloadMark();
furnishPage();
addEventListener("resize", markScrollingDiagrams); // a phone turned sideways may fit it
keepKey();
// Instant navigation swaps the content and may swap the header: furnish what it brings.
new MutationObserver(furnishPage).observe(document.body, { childList: true, subtree: true });
