import { loadEnvFile } from '../config.js';
import { main } from './main.js';

loadEnvFile(); // a .env in the working directory, when there is one
process.exitCode = await main(process.argv.slice(2));
