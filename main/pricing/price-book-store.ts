import type { PriceRepository } from '../store/repositories/price.repository'
import { PriceBook } from './price-book'

/** Holds the current price book and rebuilds it from the database after a change. */
export interface PriceBookStore {
  current(): PriceBook
  /** After a change made here: rebuilds from the database, then tells the other instances; resolves once requests see the new book. */
  reload(): Promise<void>
  /** After another instance's change: rebuilds from the database only. */
  refresh(): Promise<void>
}

/**
 * Loads the first book and returns the store; `publish` announces a local change to the instances
 * sharing the database (the config revision). Rebuilds run one at a time, latest wins (as the route table's).
 */
export async function createPriceBookStore(prices: Pick<PriceRepository, 'list'>, publish: () => Promise<unknown>): Promise<PriceBookStore> {
  const load = async (): Promise<PriceBook> => new PriceBook(await prices.list())
  let book = await load()
  let chain: Promise<void> = Promise.resolve()
  const swap = async (): Promise<void> => {
    book = await load()
  }
  const enqueue = (run: () => Promise<void>): Promise<void> => {
    // A failed rebuild must not block the ones after it.
    chain = chain.then(run, run)
    return chain
  }
  return {
    current: () => book,
    reload: () =>
      enqueue(async () => {
        await swap()
        await publish()
      }),
    refresh: () => enqueue(swap)
  }
}
