import type { PriceRepository } from '../store/repositories/price.repository'
import { PriceBook } from './price-book'

/** Holds the current price book and rebuilds it from the database after a change. */
export interface PriceBookStore {
  current(): PriceBook
  /** Rebuilds from the database; resolves once requests see the new book. */
  reload(): Promise<void>
}

/** Loads the first book and returns the store. Reloads run one at a time, latest wins (as the route table's). */
export async function createPriceBookStore(prices: Pick<PriceRepository, 'list'>): Promise<PriceBookStore> {
  const load = async (): Promise<PriceBook> => new PriceBook(await prices.list())
  let book = await load()
  let chain: Promise<void> = Promise.resolve()
  const swap = async (): Promise<void> => {
    book = await load()
  }
  return {
    current: () => book,
    reload() {
      // A failed reload must not block the ones after it.
      chain = chain.then(swap, swap)
      return chain
    }
  }
}
