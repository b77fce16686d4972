/* Builds the task pane, the ribbon commands page and (when present) the browser workbench into dist/. */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");

const DEV_URL = "https://localhost:3000/";
// Where the production add-in is hosted; the copied manifest points there instead of the dev server (as yo office does).
const PROD_URL = (process.env.PLAN_LEDGER_URL || "https://planledger.example.com/").replace(/\/?$/, "/");

const root = (...p) => path.join(__dirname, ...p);

/** Points a manifest at the production host: full URLs first, then bare origins such as <AppDomain>. */
function toProductionUrls(xml) {
  return xml.split(DEV_URL).join(PROD_URL).split(DEV_URL.slice(0, -1)).join(new URL(PROD_URL).origin);
}

/**
 * https for sideloading into Office (`--env https`): the certificates `office-addin-dev-certs install` writes to
 * ~/.office-addin-dev-certs, read directly so the package need not be a dependency.
 */
function httpsServer() {
  const dir = path.join(os.homedir(), ".office-addin-dev-certs");
  const file = (name) => path.join(dir, name);
  if (!fs.existsSync(file("localhost.key"))) {
    throw new Error(`No development certificates in ${dir}: run \`npx office-addin-dev-certs install\` first.`);
  }
  const read = (name) => fs.readFileSync(file(name));
  return { type: "https", options: { key: read("localhost.key"), cert: read("localhost.crt"), ca: read("ca.crt") } };
}

/** Entries whose source exists; commands and workbench are written separately and join the build once they land. */
function pages() {
  const all = [
    { name: "taskpane", entry: "src/taskpane/index.tsx", template: "src/taskpane/taskpane.html" },
    { name: "commands", entry: "src/commands/commands.ts", template: "src/commands/commands.html" },
    { name: "workbench", entry: "src/workbench/index.tsx", template: "src/workbench/workbench.html" },
    { name: "selftest", entry: "src/workbench/selftest.tsx", template: "src/workbench/selftest.html" },
  ];
  return all.filter((p) => fs.existsSync(root(p.entry)));
}

module.exports = (env, argv) => {
  const dev = argv.mode !== "production";
  // `--env only=workbench` builds some pages only (the browser tests build just the workbench).
  const only = typeof env?.only === "string" ? env.only.split(",") : undefined;
  const list = pages().filter((p) => only === undefined || only.includes(p.name));
  return {
    mode: dev ? "development" : "production",
    devtool: dev ? "eval-cheap-module-source-map" : "source-map",
    entry: Object.fromEntries(list.map((p) => [p.name, root(p.entry)])),
    output: {
      path: root("dist"),
      filename: dev ? "[name].js" : "[name].[contenthash:8].js",
      chunkFilename: dev ? "[name].js" : "[name].[contenthash:8].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js", ".json"],
      // ExcelJS resolves to its prebuilt browser bundle through its package "browser" field; nothing else needs Node
      // built-ins, so none are polyfilled and an accidental Node import fails the build instead of bloating it.
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { configFile: root("tsconfig.build.json"), transpileOnly: true } },
        },
      ],
    },
    optimization: {
      splitChunks: {
        chunks: "all",
        cacheGroups: {
          // React and Fluent change rarely: separate chunks stay cached across releases of our own code.
          react: { test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, name: "react", priority: 20 },
          // Initial chunks only: Fluent components used by the steps loaded on demand (Accordion, Checkbox, Textarea
          // …) go with those steps instead of into the first download.
          fluent: {
            chunks: "initial",
            test: /[\\/]node_modules[\\/](@fluentui|@griffel|tabster|keyborg|@floating-ui|@swc|use-sync-external-store)[\\/]/,
            name: "fluent",
            priority: 10,
          },
        },
      },
    },
    plugins: [
      ...list.map(
        (p) =>
          new HtmlWebpackPlugin({
            filename: `${p.name}.html`,
            template: fs.existsSync(root(p.template)) ? root(p.template) : "auto",
            chunks: [p.name],
          }),
      ),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets", to: "assets", noErrorOnMissing: true },
          {
            from: "manifest*.xml",
            to: "[name][ext]",
            noErrorOnMissing: true,
            transform: (content) => (dev ? content : toProductionUrls(content.toString())),
          },
        ],
      }),
    ],
    performance: {
      // The budget is 250 KB gzipped for the pane; webpack measures uncompressed sizes, so warn well above it.
      hints: dev ? false : "warning",
      maxEntrypointSize: 1_200_000,
      maxAssetSize: 1_000_000,
    },
    devServer: {
      port: 3000,
      // Serves the bundles from memory over plain http for the workbench; sideloading into Office needs https
      // (`--env https`, which `npm start` passes on Windows and macOS).
      static: false,
      headers: { "Access-Control-Allow-Origin": "*" },
      historyApiFallback: false,
      client: { overlay: { warnings: false, errors: true } },
      ...(env?.https ? { server: httpsServer() } : {}),
    },
  };
};
