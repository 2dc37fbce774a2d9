import { expect, test } from "@playwright/test";
import { editManifest, loadExample, openPlayground, showTab } from "./helpers";

test.beforeEach(async ({ page }) => openPlayground(page));

test("echo-events subscribes to * and logs each fired event's payload from the return buffer", async ({ page }) => {
  await loadExample(page, "echo-events");
  await showTab(page, "events");
  await expect(page.getByTestId("event-matches")).toHaveText("calls on_event (*)");
  await page.getByTestId("fire-event").click();
  await expect(page.getByTestId("log-line")).toHaveText(['[INFO] #1 {"changed":{"font.size":{"old":12,"new":13}}}']);

  await page.getByTestId("event-select").selectOption("pane.output");
  await expect(page.getByTestId("payload-editor")).toHaveValue(/"text": "ls -l\\n"/);
  await page.getByTestId("payload-editor").fill('{"pane_id": 7, "text": "héllo"}');
  await page.getByTestId("fire-event").click();
  await expect(page.getByTestId("log-line").nth(1)).toHaveText('[INFO] #2 {"pane_id":7,"text":"héllo"}');
});

test("an invalid payload is refused with the JSON error and nothing is called", async ({ page }) => {
  await loadExample(page, "echo-events");
  await showTab(page, "events");
  await page.getByTestId("payload-editor").fill("{ not json");
  await page.getByTestId("fire-event").click();
  await expect(page.getByTestId("payload-error")).toContainText("The payload is not valid JSON");
  await expect(page.getByTestId("call-output")).toHaveCount(0);
});

test("firing calls every matching hook in manifest order", async ({ page }) => {
  await loadExample(page, "wat-tour");
  // Subscribe on_output to every pane event and on_reload to everything, after on_focus.
  await editManifest(page, (manifest) => manifest.replace('event = "pane.output"', 'event = "pane.*"').replace('event = "config.reload"', 'event = "*"'));
  await page.getByTestId("load-button").click();
  await expect(page.getByText("loaded wat-tour in a new worker")).toHaveCount(2);
  await showTab(page, "events");
  await page.getByTestId("event-select").selectOption("pane.focus");
  await expect(page.getByTestId("event-matches")).toHaveText("calls on_reload (*), then on_focus (pane.focus), then on_output (pane.*)");
  await page.getByTestId("fire-event").click();
  await expect(page.getByTestId("call-output")).toHaveCount(3);
  const handlers = await page.getByTestId("call-output").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-handler")));
  expect(handlers).toEqual(["on_reload", "on_focus", "on_output"]);
  await expect(page.getByTestId("log-line").last()).toHaveText('[INFO] payload: {"pane_id":1}');
});
