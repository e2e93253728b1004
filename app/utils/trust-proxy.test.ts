import { expect, test } from "vitest";

// getEnv() is read once per process, so TRUST_PROXY gets a test file of its own.
process.env.TRUST_PROXY = "true";
const { getClientIp } = await import("./http.server");

test("with TRUST_PROXY the address appended by our proxy (the last entry) is used", () => {
  const request = new Request("http://localhost/", {
    headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.4" },
  });
  expect(getClientIp(request, "10.0.0.9")).toBe("198.51.100.4");
  expect(getClientIp(new Request("http://localhost/"), "10.0.0.9")).toBe("10.0.0.9");
});
