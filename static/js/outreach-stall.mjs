// The phone form at an outreach event (templates/candidates/outreach_stall.html).
// Without this script the form posts as usual. With it, each save is sent in the background; when the
// network fails, what was typed is kept on this phone (localStorage) and sent again when the phone is
// back online, every 30 seconds, or on "Send them now". Each person carries a submission key, so a save
// that did reach the academy before the answer was lost is recognised and not recorded twice.
// Kept entries are deleted from the phone as soon as the academy has them.

const form = document.querySelector("form[data-stall-form]");

if (form && window.localStorage && window.fetch) {
  const storageKey = `outreach-stall:${form.dataset.event}`;
  const fields = ["first_name", "last_name", "email", "phone", "note"];
  const status = document.getElementById("stall-status");
  const queueBox = document.getElementById("stall-queue");
  const queueList = document.getElementById("stall-queue-list");
  const queueMessage = document.getElementById("stall-queue-message");
  const retryButton = document.getElementById("stall-queue-retry");
  let sending = false;

  const newKey = () =>
    window.crypto && crypto.randomUUID
      ? crypto.randomUUID()
      : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
        );

  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "[]");
    } catch {
      return [];
    }
  };
  const store = (items) => {
    if (items.length) localStorage.setItem(storageKey, JSON.stringify(items));
    else localStorage.removeItem(storageKey);
  };

  const keyInput = form.querySelector("input[name=submission_key]");
  const freshKey = () => {
    if (keyInput) keyInput.value = newKey();
  };

  const say = (text) => {
    status.textContent = text;
  };

  const addRecent = (text) => {
    let list = document.getElementById("stall-recent");
    const empty = document.getElementById("stall-recent-empty");
    if (!list) {
      list = document.createElement("ul");
      list.className = "govuk-list";
      list.id = "stall-recent";
      if (empty) empty.replaceWith(list);
    }
    const item = document.createElement("li");
    item.textContent = text;
    list.prepend(item);
  };

  const render = () => {
    const items = load();
    queueBox.hidden = items.length === 0;
    queueList.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        const name = `${item.values.first_name} ${item.values.last_name}`.trim();
        li.textContent = item.problem ? `${name}: ${item.problem}` : name;
        return li;
      }),
    );
    queueMessage.textContent =
      items.length === 1
        ? "1 person is kept on this phone and not yet sent to the academy."
        : `${items.length} people are kept on this phone and not yet sent to the academy.`;
  };

  const post = async (values) => {
    const body = new URLSearchParams();
    body.set("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    for (const [name, value] of Object.entries(values)) body.set(name, value);
    const response = await fetch(form.action || window.location.href, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    return { response, data: isJson ? await response.json() : null };
  };

  const flush = async () => {
    if (sending) return;
    sending = true;
    try {
      for (const item of load()) {
        let result;
        try {
          result = await post(item.values);
        } catch {
          break; // still offline: try again later
        }
        const rest = load().filter((other) => other.values.submission_key !== item.values.submission_key);
        if (result.data && result.data.saved) {
          store(rest);
          addRecent(`${item.values.first_name} ${item.values.last_name}`.trim());
          say(result.data.message);
        } else if (result.data && result.data.errors) {
          const problem = Object.values(result.data.errors).flat().join(". ");
          store([...rest, { ...item, problem }]);
        } else {
          // Signed out, or the page's security token changed: reloading the page sends them.
          store([...rest, { ...item, problem: "sign in again, then reload this page to send" }]);
          break;
        }
      }
    } finally {
      sending = false;
      render();
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const values = Object.fromEntries(fields.map((name) => [name, String(data.get(name) || "").trim()]));
    values.contact_consent = data.get("contact_consent") ? "on" : "";
    values.submission_key = keyInput && keyInput.value ? keyInput.value : newKey();
    let result;
    try {
      result = await post(values);
    } catch {
      store([...load(), { values }]);
      render();
      form.reset();
      freshKey();
      say(`No connection. ${values.first_name} ${values.last_name} is kept on this phone and will be sent when it is back online.`);
      form.querySelector("input[name=first_name]").focus();
      return;
    }
    if (result.data && result.data.saved) {
      addRecent(`${values.first_name} ${values.last_name}`.trim());
      say(result.data.message);
      form.reset();
      freshKey();
      form.querySelector("input[name=first_name]").focus();
      flush();
    } else {
      // Something to correct (or signed out): let the server show the page as without this script.
      form.submit();
    }
  });

  retryButton.addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  freshKey();
  render();
  flush();
}
