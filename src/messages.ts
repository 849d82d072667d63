import { accountsMessages } from './modules/accounts/messages.js';
import { booksExtrasMessages } from './modules/books/extra-messages.js';
import { booksMessages } from './modules/books/messages.js';
import { shopMessages } from './modules/books/shop-messages.js';
import { homeMessages } from './modules/home/messages.js';
import { lendingCalcMessages } from './modules/lending/calc-messages.js';
import { healthMessages } from './modules/lending/health-messages.js';
import { lendingMessages } from './modules/lending/messages.js';
import { shuMessages } from './modules/lending/shu-messages.js';
import { catalogueMessages } from './modules/marketplace/catalogue-messages.js';
import { discoveryMessages } from './modules/marketplace/discovery-messages.js';
import { ordersMessages } from './modules/marketplace/orders-messages.js';
import { publicMessages } from './modules/marketplace/public-messages.js';
import { registryMessages } from './modules/registry/messages.js';
import { registryExtraMessages } from './modules/registry/messages-extra.js';

/** Every module's dictionary, merged into the typed i18n dictionary. Add a module's file here. */
export const moduleMessages = {
  id: {
    ...accountsMessages.id,
    ...homeMessages.id,
    ...registryMessages.id,
    ...registryExtraMessages.id,
    ...booksMessages.id,
    ...booksExtrasMessages.id,
    ...shopMessages.id,
    ...lendingCalcMessages.id,
    ...lendingMessages.id,
    ...shuMessages.id,
    ...healthMessages.id,
    ...ordersMessages.id,
    ...catalogueMessages.id,
    ...discoveryMessages.id,
    ...publicMessages.id,
  },
  en: {
    ...accountsMessages.en,
    ...homeMessages.en,
    ...registryMessages.en,
    ...registryExtraMessages.en,
    ...booksMessages.en,
    ...booksExtrasMessages.en,
    ...shopMessages.en,
    ...lendingCalcMessages.en,
    ...lendingMessages.en,
    ...shuMessages.en,
    ...healthMessages.en,
    ...ordersMessages.en,
    ...catalogueMessages.en,
    ...discoveryMessages.en,
    ...publicMessages.en,
  },
};
