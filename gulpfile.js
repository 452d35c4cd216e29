const { src, dest } = require('gulp');

// tsc emits only JavaScript; n8n also needs the node and credential icons beside the built files.
function copyIcons() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
