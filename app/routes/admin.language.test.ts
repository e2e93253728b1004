import { expect, test } from "vitest";
import { findStaffById } from "~/staff/accounts.server";
import { staffLanguage } from "~/staff/staff-language.server";
import { getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { action } from "./admin.language";

test("a member's language follows the URL on the login pages, then the saved preference", async () => {
  const member = await signedInStaff("viewer");
  expect(await staffLanguage(getRequest("/admin/login?lang=en"))).toBe("en");
  expect(await staffLanguage(getRequest("/admin/login", { "accept-language": "en-US,en;q=0.9" }))).toBe("en");
  expect(await staffLanguage(member.get("/admin"))).toBe("ko");

  const switched = await settle(() =>
    action({ request: member.post("/admin/language", { lang: "en", redirectTo: "/admin/leads?lang=ko&page=2" }), params: {}, context: routeContext }),
  );
  expect(switched.status).toBe(302);
  expect(switched.headers.get("location")).toBe("/admin/leads?page=2");
  expect(findStaffById(member.staff.id)?.locale).toBe("en");
  expect(await staffLanguage(member.get("/admin"))).toBe("en");

  const unsupported = await settle(() => action({ request: member.post("/admin/language", { lang: "fr" }), params: {}, context: routeContext }));
  expect(unsupported.status).toBe(400);
  const offsite = await settle(() =>
    action({ request: member.post("/admin/language", { lang: "ko", redirectTo: "https://evil.example/" }), params: {}, context: routeContext }),
  );
  expect(offsite.headers.get("location")).toBe("/admin");
});
