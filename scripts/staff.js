// Staff accounts from the command line (`npm run staff:create|list|disable|enable`).
// It runs the production build, so it works in the container: `node scripts/staff.js create ...`.
// The password is read from standard input (piped) or an interactive prompt that does not echo.
import path from "node:path";
import readline from "node:readline";

async function readPiped() {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0];
}

function prompt(question) {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo nothing while the password is typed.
    rl._writeToOutput = (text) => {
      if (text.includes(question)) process.stdout.write(question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

async function readPassword() {
  if (!process.stdin.isTTY) return readPiped();
  const first = await prompt("Password (at least 12 characters): ");
  const second = await prompt("Repeat the password: ");
  if (first !== second) {
    console.error("[staff] the passwords do not match");
    process.exit(2);
  }
  return first;
}

const build = await import(path.resolve("build/index.js"));
const exitCode = await build.entry.module.runStaffCommand(process.argv.slice(2), {
  readPassword,
  out: (line) => console.log(line),
  error: (line) => console.error(line),
});
build.entry.module.closeDatabase();
process.exit(exitCode);
