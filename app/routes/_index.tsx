import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { localeDetector } from "~/i18n.server";

/** `/` has no language of its own: send the visitor to the one they prefer, keeping UTM tags. */
export async function loader({ request }: LoaderFunctionArgs) {
  const locale = await localeDetector.getLocale(request);
  const { search } = new URL(request.url);
  return redirect(`/${locale}${search}`, { headers: { Vary: "Accept-Language" } });
}
