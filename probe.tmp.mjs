import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const p = await b.newPage();
await p.goto("http://127.0.0.1:3300/");
await p.getByTestId("example-menu").click();
await p.getByTestId("example-hello-c").click();
await p.waitForSelector('[data-testid="extension-facts"][data-extension-name="hello-c"]');
await p.waitForTimeout(1500);
for (let i = 0; i < 8; i++) {
  const r = await p.evaluate(`new Promise((resolve) => {
    const facts = () => document.querySelector('[data-testid="extension-facts"][data-extension-name="hello-c"]');
    const before = facts()?.getAttribute("data-instance-id");
    performance.clearMarks();
    const t0 = performance.now();
    const obs = new MutationObserver(() => { const id = facts()?.getAttribute("data-instance-id"); if (id && id !== before) { obs.disconnect(); const end = performance.now();
      const m = Object.fromEntries(performance.getEntriesByType("mark").filter(e=>e.name.startsWith("ep:")).map(e => [e.name, +(e.startTime - t0).toFixed(1)]));
      resolve({ total: +(end - t0).toFixed(1), ...m }); } });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    document.querySelector('[data-testid="load-button"]').click();
  })`);
  console.log(JSON.stringify(r));
  await p.waitForTimeout(300);
}
await b.close();
