// MS Massage Guide: the display options, remembered on this device, and
// showing the start of each new reply (its banner first) rather than its end.
window.msguide = (() => {
  const KEY = "msguide-display";
  const stored = () => { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch { return {}; } };
  const apply = (o) => {
    document.documentElement.classList.toggle("large-text", !!o["large-text"]);
    document.documentElement.classList.toggle("high-contrast", !!o["high-contrast"]);
  };
  apply(stored());
  // The chat labels each message with its raw source ("bot's message: <div ...");
  // a screen reader should read the message itself.
  // The status line (feedback kept, a question that could not be asked) is announced.
  new MutationObserver(() => {
    document.querySelectorAll("#chat [data-testid][aria-label]").forEach((el) => {
      if (/^(bot|user)'s message/.test(el.getAttribute("aria-label"))) el.removeAttribute("aria-label");
    });
    const status = document.getElementById("status");
    if (status && status.getAttribute("role") !== "status") status.setAttribute("role", "status");
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
  const scrollBox = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const y = getComputedStyle(p).overflowY;
      if ((y === "auto" || y === "scroll") && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  return {
    options() { const o = stored(); return [!!o["large-text"], !!o["high-contrast"]]; },
    setOption(name, on) {
      const o = stored(); o[name] = !!on;
      try { localStorage.setItem(KEY, JSON.stringify(o)); } catch {}
      apply(o);
    },
    showLatest() {
      setTimeout(() => {
        const replies = document.querySelectorAll("#chat [data-testid='bot']");
        const last = replies[replies.length - 1];
        if (!last) return;
        const box = scrollBox(last);
        if (box) box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
      }, 60);
    },
  };
})();
