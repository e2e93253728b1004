import { invariantResponse } from "~/utils/http.server";

/*
 * Every path no other route answers, so that none is left unmatched. With
 * lazy route discovery, a page that matched no route hydrates against a
 * router still looking for routes and fails (React errors 418 and 423, the
 * page rendered again from scratch); this route's 404 reaches the root error
 * boundary from a match the browser knows, as every other 404 does. Under
 * `$lang`, the page keeps the language of its URL, and `$lang` still refuses
 * unsupported languages first.
 */

export function loader(): never {
  invariantResponse(false, 404);
}

/** A form posted to no page is refused the same way, not as a 405 for a missing action. */
export function action(): never {
  invariantResponse(false, 404);
}

/**
 * Never rendered, since the loader always throws; a route without a component
 * would be a resource route, whose thrown 404 goes out bare instead of as the
 * error page.
 */
export default function NoSuchPage() {
  return null;
}
