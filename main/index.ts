/**
 * Entry point. Inside Electron (and without `--server`) it starts the desktop app; plain Node, or
 * `--server` anywhere, runs the headless relay. Each is imported dynamically, so the headless
 * server never loads Electron.
 */
const argv = process.argv.slice(2)
const desktop = process.versions.electron !== undefined && !argv.includes('--server')

if (desktop) {
  // The desktop app takes its settings from CUTTLE_* variables and its preferences, not flags:
  // Electron and the OS put their own arguments on the command line of a packaged app.
  void import('./desktop/bootstrap').then(({ runDesktop }) => runDesktop([], process.env))
} else {
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
}
