"""Protocol tests of the ZStack API simulator."""
