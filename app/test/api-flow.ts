import { expect } from "vitest";
import { allItemIds } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { postJson } from "~/test/production-server";

/** Starts and completes an assessment through the JSON API; returns its session key. */
export async function completeViaApi(url: string, nickname?: string) {
  const started = await postJson(`${url}/api/assessment/start`, { locale: "ko", ...(nickname && { nickname }) });
  expect(started.status).toBe(201);
  const key = JSON.parse(started.body).session_key as string;
  const answers = Object.fromEntries(allItemIds.map((id) => [id, 4]));
  const answered = await postJson(`${url}/api/assessment/answer`, { session_key: key, answers });
  expect(answered.status).toBe(200);
  expect(JSON.parse(answered.body).status).toBe("completed");
  return key;
}

/** A report download lead with the current consent; returns the receipt id and the download URL. */
export async function requestDownload(url: string, key: string, fields: { email: string; name?: string }) {
  const response = await postJson(`${url}/api/assessment/download`, {
    session_key: key,
    ...fields,
    consent: { required: true, version: currentConsentVersion.id },
  });
  expect(response.status).toBe(201);
  const body = JSON.parse(response.body) as { receipt: { id: string }; download_url: string };
  return { receiptId: body.receipt.id, downloadUrl: body.download_url };
}
