/** EKU Bridge public API. */
package dev.ekubridge;
