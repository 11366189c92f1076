/** Atomic writing of files and folders. */
package io.vcex.core.files;
