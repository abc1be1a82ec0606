// The live preview's page side (renstra/preview/server.py serves it). It listens to the server's events;
// a new rendering is fetched and swapped into the page in place: only the sheets that changed are
// replaced, and the scroll position stays. A galat is an overlay above the last good rendering.
// It also builds the side panel: the Daftar Isi as navigation, and the link to the latest PDF.
(function () {
  "use strict";
  const own = (el) => el.id && el.id.startsWith("pratinjau-");
  let versi = Number(document.querySelector('meta[name="pratinjau-versi"]').content);
  let wanted = versi;
  let fetching = false;
  let lastPdf = { url: null, terbaru: false };

  const panel = document.createElement("nav");
  panel.id = "pratinjau-navigasi";
  panel.setAttribute("aria-label", "Daftar Isi");
  const overlay = document.createElement("div");
  overlay.id = "pratinjau-galat";
  overlay.setAttribute("role", "alert");
  overlay.hidden = true;
  document.body.prepend(panel, overlay);
  buildPanel({ url: null, terbaru: false });
  roomForLandscape();

  const events = new EventSource("/_pratinjau/peristiwa");
  events.addEventListener("keadaan", (event) => {
    const state = JSON.parse(event.data);
    window.pratinjauTerhubung = true; // the stream is live (the browser test waits for this)
    showProblems(state.galat);
    buildPanel(state.pdf);
    if (state.versi !== versi) {
      wanted = Math.max(wanted, state.versi);
      refresh();
    }
  });

  async function refresh() {
    if (fetching) return; // the newest is fetched when this one ends
    fetching = true;
    try {
      while (wanted !== versi) {
        const target = wanted;
        const response = await fetch("/", { cache: "no-store" });
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const got = Number(fresh.querySelector('meta[name="pratinjau-versi"]').content);
        swap(fresh);
        versi = got;
        if (got < target) break; // the server has not got there yet: its next event comes
      }
    } finally {
      fetching = false;
    }
    buildPanel(lastPdf);
    roomForLandscape();
    document.documentElement.dataset.pratinjauVersi = String(versi);
  }

  // A landscape sheet is centred on its portrait page and wider than it: beside the side panel the page
  // area must be wide enough for it, or its left part would lie under the panel (the page scrolls
  // sideways instead).
  function roomForLandscape() {
    const widths = Array.from(document.querySelectorAll(".lanskap"), (el) => el.offsetWidth);
    document.body.style.minWidth = widths.length ? Math.max(...widths) + 48 + "px" : "";
  }

  // The sheets of the page: the cover, each part of the front matter, each chapter.
  const sheets = (root) =>
    Array.from(root.querySelectorAll("body > section, body > div:not([id^='pratinjau-']) > section"));

  function swap(fresh) {
    const x = window.scrollX, y = window.scrollY;
    const oldStyle = document.head.querySelector("style");
    const newStyle = fresh.head.querySelector("style");
    if (oldStyle && newStyle && oldStyle.textContent !== newStyle.textContent) {
      oldStyle.textContent = newStyle.textContent;
    }
    document.title = fresh.title;
    const before = sheets(document), after = sheets(fresh);
    const sameShape =
      before.length === after.length &&
      before.every((s, i) => s.parentElement.className === after[i].parentElement.className);
    if (sameShape) {
      before.forEach((sheet, i) => {
        if (!sheet.isEqualNode(after[i])) sheet.replaceWith(document.adoptNode(after[i]));
      });
    } else {
      for (const el of Array.from(document.body.children)) if (!own(el)) el.remove();
      for (const el of Array.from(fresh.body.children)) document.body.append(document.adoptNode(el));
    }
    window.scrollTo(x, y);
  }

  function showProblems(problems) {
    overlay.replaceChildren();
    overlay.hidden = problems.length === 0;
    if (!problems.length) return;
    const title = document.createElement("h2");
    title.textContent = problems.length === 1 ? "1 galat" : problems.length + " galat";
    const note = document.createElement("p");
    note.className = "catatan";
    note.textContent =
      "Berkas yang baru disimpan belum dapat dibangun. Di bawah ini tampil versi terakhir yang benar; " +
      "perbaiki berkasnya dan simpan, pratinjau diperbarui sendiri.";
    const list = document.createElement("ul");
    for (const p of problems) {
      const item = document.createElement("li");
      if (p.tempat) {
        const place = document.createElement("code");
        place.className = "tempat";
        place.textContent = p.tempat;
        item.append(place, ": ");
      }
      const message = document.createElement("span");
      message.className = "pesan";
      message.textContent = p.pesan + (p.saran ? " (" + p.saran + ")" : "");
      item.append(message);
      list.append(item);
    }
    overlay.append(title, list, note);
  }

  function buildPanel(pdf) {
    lastPdf = pdf;
    panel.replaceChildren();
    const link = document.createElement(pdf.url ? "a" : "span");
    link.id = "pratinjau-pdf";
    link.className = pdf.terbaru ? "terbaru" : "lama";
    if (pdf.url) {
      link.href = pdf.url + "?versi=" + pdf.versi;
      link.target = "_blank";
      link.textContent = pdf.terbaru ? "PDF (terbaru)" : "PDF (sebelumnya; sedang ditata ulang…)";
    } else {
      link.textContent = "PDF sedang dibangun…";
    }
    panel.append(link);
    const heading = document.createElement("div");
    heading.className = "judul";
    heading.textContent = "Daftar Isi";
    panel.append(heading);
    const toc = document.querySelector("#daftar-isi + ul.daftar");
    if (toc) {
      const copy = toc.cloneNode(true);
      copy.removeAttribute("class");
      panel.append(copy);
    }
  }
})();
