// Loaded into every decrypted page: the visible "Log out" control, and the key for a
// service worker that was stopped by the browser and lost it (it asks; we answer).

import { askWorker, clearKey, clearReloadMark, loadKey } from "./session.js";

const ROOT = new URL("../", import.meta.url).href;
const BUTTON_CLASS = "portico-logout";
// Log-out in one tab logs out every tab of this portal (each keeps its own sessionStorage).
const tabs = new BroadcastChannel(`portico:${new URL(ROOT).pathname}`);

async function logOut(everyTab = true) {
  clearKey(ROOT);
  if (everyTab) tabs.postMessage("log-out");
  const worker = navigator.serviceWorker?.controller;
  if (worker) await askWorker(worker, { type: "forget" }).catch(() => null);
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

navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data?.type === "need-key") event.ports[0]?.postMessage({ key: loadKey(ROOT) });
});
tabs.onmessage = (event) => {
  if (event.data === "log-out") logOut(false);
};
clearReloadMark();
placeButton();
// Instant navigation may swap the header; put the button back when it goes.
new MutationObserver(placeButton).observe(document.body, { childList: true, subtree: true });
