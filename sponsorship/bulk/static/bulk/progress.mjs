// A bulk file's page while the file is processed: asks for its progress every few seconds and
// updates the sentence in the page's status region (read out by screen readers when it
// changes), then reloads the page once the file is finished, to show the results. Without
// JavaScript the page reloads itself instead (<noscript> refresh).
const panel = document.querySelector("[data-progress-url]");

if (panel) {
  const url = panel.dataset.progressUrl;
  const seconds = Number(panel.dataset.pollSeconds) || 3;
  const sentence = panel.querySelector("[data-progress-sentence]");
  const status = panel.querySelector("[data-progress-status]");
  const bar = panel.querySelector("progress");

  const look = async () => {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const progress = await response.json();
        if (progress.finished) {
          window.location.reload();
          return;
        }
        if (sentence.textContent !== progress.sentence) {
          sentence.textContent = progress.sentence;
        }
        status.textContent = progress.status_name;
        status.classList.toggle("govuk-tag--blue", progress.status === "RUNNING");
        status.classList.toggle("govuk-tag--grey", progress.status !== "RUNNING");
        bar.max = Math.max(progress.total, 1);
        bar.value = progress.total - progress.remaining;
      }
    } catch {
      // A look that fails is tried again at the next one.
    }
    window.setTimeout(look, seconds * 1000);
  };

  window.setTimeout(look, seconds * 1000);
}
