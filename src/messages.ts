import { accountsMessages } from './modules/accounts/messages.js';
import { booksMessages } from './modules/books/messages.js';
import { homeMessages } from './modules/home/messages.js';
import { registryMessages } from './modules/registry/messages.js';
import { registryExtraMessages } from './modules/registry/messages-extra.js';

/** Every module's dictionary, merged into the typed i18n dictionary. Add a module's file here. */
export const moduleMessages = {
  id: { ...accountsMessages.id, ...homeMessages.id, ...registryMessages.id, ...registryExtraMessages.id, ...booksMessages.id },
  en: { ...accountsMessages.en, ...homeMessages.en, ...registryMessages.en, ...registryExtraMessages.en, ...booksMessages.en },
};
