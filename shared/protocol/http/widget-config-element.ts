/**
 * The id of the JSON data block in which the frame page carries the partner's configuration
 * (the same object `/api/widget/config` answers), so the start screen needs no request of its own.
 * A module of its own, without valibot, for the frame's entry.
 */
export const WIDGET_CONFIG_ELEMENT_ID = "sahara-config";
