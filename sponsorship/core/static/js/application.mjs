// Starts the GOV.UK Frontend components (error summary focus, radios, service navigation...).
import { initAll } from "./govuk-frontend.min.js";

initAll();
