// Licences and permits (issue 14): the model, statuses derived from dates and an injected clock,
// what a lapsed permit takes away (through the one availability gate), reminder slots and
// jurisdiction templates. Pure: services load and store, the core decides.
export * from "./kinds";
export * from "./types";
export * from "./status";
export * from "./standing";
export * from "./reminders";
export * from "./templates";
