import { deleteRecords } from '@/db/change-log';
import { getDb, type CalicoDb } from '@/db/database';

/**
 * Forgetting products: with a site's other data ("delete this site"), or all of them ("delete
 * everything"). Through the change log, so sync and every index forget them too. `hosts` null = all.
 */
export async function eraseProducts(hosts: readonly string[] | null, db: CalicoDb = getDb()): Promise<number> {
  const names = hosts?.map((h) => h.replace(/:\d+$/, '').toLowerCase());
  const products = hosts ? await db.products.where('storeDomain').anyOf(names!).primaryKeys() : await db.products.toCollection().primaryKeys();
  const observations = hosts
    ? await db.priceObservations.where('productId').anyOf(products).primaryKeys()
    : await db.priceObservations.toCollection().primaryKeys();
  let deleted = 0;
  for (let i = 0; i < observations.length; i += 500) await deleteRecords('priceObservations', observations.slice(i, i + 500), db);
  for (let i = 0; i < products.length; i += 500) deleted += await deleteRecords('products', products.slice(i, i + 500), db);
  return deleted;
}
