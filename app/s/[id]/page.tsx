/**
 * `/s/<id>`: a stored share. The same page as `/`; on load it reads the id from its own
 * path, fetches `/api/shares/<id>` and restores that state without running anything.
 */
export { default } from "../../page";
