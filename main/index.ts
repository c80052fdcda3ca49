/**
 * Entry point. Plain Node (and `--server` anywhere) runs the headless relay; the Electron shell
 * joins here with the desktop issue. The headless module is imported dynamically so an entry
 * that picks the desktop never loads the server's dependencies twice.
 */
const argv = process.argv.slice(2)

void import('./headless').then(({ runHeadless }) =>
  runHeadless({
    argv,
    env: process.env,
    cwd: process.cwd(),
    print: line => console.log(line),
    printError: line => console.error(line),
    exit: code => process.exit(code),
    onSignal: (signal, handler) => process.once(signal, handler)
  })
)
