print("briefd")
