import type { LoaderFunctionArgs } from "@remix-run/node";
import { logoResponse } from "~/brand/brand.server";

/** The operator's logo as PNG (an SVG rasterised once), for mails, whose clients often draw no SVG; 404 without one. */
export function loader({ request }: LoaderFunctionArgs) {
  return logoResponse(request, "png");
}
