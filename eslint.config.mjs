import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import officeAddins from "eslint-plugin-office-addins";

// The plugin's recommended preset is a flat-config array that also brings its own (older) typescript-eslint parser and
// prettier rules; we take only its Office rules and run Prettier separately (npm run format:check).
const officePreset = officeAddins.configs.recommended.find((c) => c.plugins && c.plugins["office-addins"]);
const officeRules = Object.fromEntries(
  Object.entries(officePreset.rules).filter(([name]) => name.startsWith("office-addins/")),
);

export default tseslint.config(
  { ignores: ["node_modules", "dist", "test-output", "coverage", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { "office-addins": officePreset.plugins["office-addins"], "react-hooks": reactHooks },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...officeRules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The offline host's public surface is its two entry modules; its own unit tests may reach inside.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["src/offline/**", "test/unit/offline/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)src/offline/(?!xlsx$)|^(\\.\\./)+offline/(?!xlsx$)",
              message:
                "Outside src/offline/, import the host from src/offline (index.ts) or src/offline/xlsx (index.ts).",
            },
          ],
        },
      ],
    },
  },
);
