import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemError, verifyWebhook, WebhookVerificationError, type WebhookEvent } from "../src/index.js";
import { hasService, newClient, uniqueName, waitUntil } from "./support/service.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

describe.skipIf(!hasService)("webhooks against the service", () => {
  const client = newClient();
  const received: Received[] = [];
  let server: Server;
  let base = "";
  const at = (path: string) => received.filter((r) => r.path === path);

  beforeAll(async () => {
    // A receiver on loopback: keeps every request, answers 204.
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("should deliver a job's notify signed, verifiable with verifyWebhook, and list its deliveries", async () => {
    const { secret } = await client.webhookSecret();
    const url = `${base}/job`;

    const { job_id } = await client.submit("demo", { stages: 1, stage_ms: 50 },
      { notify: { url, events: ["terminal", "stage"] } });
    await client.wait(job_id, { timeoutMs: 30_000 });
    await waitUntil(() => at("/job").length >= 3, "3 deliveries: the stage's start and end, and the job's end");

    expect(secret).toMatch(/^whsec_/);
    // Tried on a pool of senders, deliveries may arrive out of order: their events' seq orders them.
    const verified: Array<[WebhookEvent, Received]> = [];
    for (const r of at("/job")) verified.push([await verifyWebhook(secret, r.headers, r.body), r]);
    verified.sort(([a], [b]) => a.data.seq - b.data.seq);
    expect(verified.map(([e]) => e.type)).toEqual(["job.stage_started", "job.stage_completed", "job.completed"]);
    expect(new Set(verified.map(([e]) => e.data.job_id))).toEqual(new Set([job_id]));
    const [last, lastRequest] = verified[2]!;
    expect(last.data.status).toBe("completed");
    const tampered = Buffer.from(lastRequest.body.toString().replace('"completed"', '"failed"'));
    await expect(verifyWebhook(secret, lastRequest.headers, tampered)).rejects.toBeInstanceOf(WebhookVerificationError);

    await waitUntil(async () => {
      const listing = await client.deliveries(job_id);
      return listing.count === 3 && listing.deliveries.every((d) => d.status === "delivered");
    }, "3 deliveries recorded as delivered", 10_000);
    const listing = await client.deliveries(job_id);
    expect(listing.job_id).toBe(job_id);
    expect(listing.notify_url).toBe(url);
    const bySeq = [...listing.deliveries].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((d) => d.id)).toEqual(verified.map(([, r]) => r.headers["webhook-id"]));
    expect(bySeq.map((d) => d.event_type)).toEqual(verified.map(([e]) => e.type));
    for (const delivery of bySeq) {
      expect(delivery.url).toBe(url);
      expect(delivery.subscription ?? null).toBeNull();
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({ attempt: 1, status_code: 204, delivered: true });
    }
  });

  it("should send notify with a multipart submit", async () => {
    const { secret } = await client.webhookSecret();

    const { job_id } = await client.submit("csv-report", undefined,
      { files: { "sales.csv": "region,amount\nnorth,10\n" }, notify: `${base}/multipart` });
    await waitUntil(() => at("/multipart").length > 0, "the job's end delivered");

    const event = await verifyWebhook(secret, at("/multipart")[0]!.headers, at("/multipart")[0]!.body);
    expect([event.type, event.data.job_id, event.data.job_type]).toEqual(["job.completed", job_id, "csv-report"]);
  });

  it("should make, list and delete a subscription, and refuse an internal destination", async () => {
    const kind = uniqueName("none"); // a type no job has: nothing is ever delivered for it
    const made = await client.subscribeWebhook({ url: `${base}/never`, events: ["stage", "terminal"], job_types: [kind] });

    expect(made.id).toMatch(/^whsub_/);
    expect(made.secret).toBe((await client.webhookSecret()).secret);
    expect(made.events).toEqual(["stage", "terminal"]);
    expect(made.job_types).toEqual([kind]);
    expect((await client.webhooks()).webhooks.map((w) => w.id)).toContain(made.id);

    await client.deleteWebhook(made.id);

    expect((await client.webhooks()).webhooks.map((w) => w.id)).not.toContain(made.id);
    const again = await client.deleteWebhook(made.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ProblemError);
    expect((again as ProblemError).status).toBe(404);
    const internal = await client.subscribeWebhook({ url: "http://10.1.2.3/hooks" }).catch((e: unknown) => e);
    expect((internal as ProblemError).status).toBe(400);
    expect((internal as ProblemError).detail).toMatch(/internal/);
  });
});
