/** Texts of the home module. Indonesian first; English must match key for key. */
const id = {} as const;

const en = {} satisfies Record<keyof typeof id, string>;

export const homeMessages = { id, en };
