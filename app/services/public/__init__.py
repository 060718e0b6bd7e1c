"""What anyone may read without signing in (`/public/*`): the lists under public disclosure
(`disclosures`) and the awards already decided (`awards`), with as little personal data as the
papers themselves publish: a name, a unit, an award, a year and a decision number — never a
birth year, a position or a person's own account of their work. `throttle` limits how often one
client address may ask."""
