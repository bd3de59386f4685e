// Starts GOV.UK Frontend's components (error summary focus, notification banners,
// service navigation menu, details, character count, etc.). Pages work without it.
// The import is relative to this file (static/js/), so it follows STATIC_URL.
import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();
